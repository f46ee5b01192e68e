// Office ACL. Rules are evaluated in order and the first match wins, like
// our firewall. The last rule is the catch-all, so every client address is
// decided by exactly one rule. A client certificate is required as well.
const ACL = [
  { cidr: '10.20.0.0/16', action: 'allow' },   // engineering VLANs
  { cidr: '10.0.0.0/8', action: 'deny' },      // all other internal networks
  { cidr: '203.0.113.0/24', action: 'allow' }, // partner NAT
  { cidr: '0.0.0.0/0', action: 'deny' }        // everything else
];

function ipToNumber(ip) {
  const o = String(ip).split('.');
  return ((parseInt(o[0], 10) * 256 + parseInt(o[1], 10)) * 256 + parseInt(o[2], 10)) * 256 + parseInt(o[3], 10);
}

function rangeOf(cidr) {
  const slash = cidr.indexOf('/');
  const bits = parseInt(cidr.slice(slash + 1), 10);
  const base = ipToNumber(cidr.slice(0, slash));
  return { lo: base, hi: base + Math.pow(2, 32 - bits) - 1 };
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const ip = ipToNumber(connection.clientIp);
  for (let i = 0; i < ACL.length; i++) {
    const r = rangeOf(ACL[i].cidr);
    if (ip >= r.lo && ip <= r.hi) {
      console.log('rule ' + i + ' matched: ' + ACL[i].action);
      if (ACL[i].action === 'allow') {
        return connection.allow();
      }
      return connection.deny();
    }
  }
  // Not reached: 0.0.0.0/0 matches every address.
}
