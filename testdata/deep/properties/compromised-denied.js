// Property compromised-denied: a certificate whose SHA-256 fingerprint, in
// any documented format, is one of the incident's keys is never allowed.
const KEYS = ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  'd15d6c15b0f00a08a3bf4f1b2b0b822c9a2feaa0c55ad0159f86d081884c7d65'];

function hexOf(fp) {
  const s = String(fp || '');
  if (/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){31}$/.test(s) || /^[0-9a-fA-F]{64}$/.test(s)) {
    return s.split(':').join('').toLowerCase();
  }
  if (s.length === 44) {
    try {
      const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
      let hex = '';
      for (let i = 0; i < bin.length; i++) {
        hex += (bin.charCodeAt(i) + 0x100).toString(16).slice(1);
      }
      return hex;
    } catch (e) {
      return '';
    }
  }
  return '';
}

function check(connection, outcome) {
  if (outcome.decision !== 'allow') {
    return true;
  }
  const leaf = connection && connection.clientCertificate && connection.clientCertificate.certificates &&
    connection.clientCertificate.certificates.leaf;
  if (leaf && KEYS.indexOf(hexOf(leaf.sha256Fingerprint)) !== -1) {
    return 'compromised key allowed';
  }
  return true;
}
