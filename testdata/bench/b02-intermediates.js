// API edge. Only certificates issued by one of our two issuing CAs are
// accepted, and the issuing CA must be the first intermediate of the chain
// CloudFront forwards (so a leaf cannot borrow a trusted issuer name).
const ISSUING_CAS = [
  'CN=Example Corp Intermediate CA,O=Example Corp,C=US',
  'CN=Example Corp Issuing CA 2,O=Example Corp,C=US'
];

// DNs come either as "CN=a,O=b" or as "CN=a, O=b"; compare them loosely.
function canonical(dn) {
  return String(dn).split(/\s*,\s*/).join(',').toLowerCase();
}

function isIssuingCA(dn) {
  const want = canonical(dn);
  for (let i = 0; i < ISSUING_CAS.length; i++) {
    if (canonical(ISSUING_CAS[i]) === want) {
      return true;
    }
  }
  return false;
}

function connectionHandler(connection) {
  const cert = connection.clientCertificate;
  if (!cert || !cert.certificates || !cert.certificates.leaf) {
    console.log('no client certificate');
    return connection.deny();
  }
  const leaf = cert.certificates.leaf;
  const chain = cert.certificates.intermediates;
  const issuingCA = chain[0].subject;

  if (canonical(leaf.issuer) !== canonical(issuingCA)) {
    console.log('leaf issuer does not match the chain');
    return connection.deny();
  }
  if (!isIssuingCA(issuingCA)) {
    return connection.deny();
  }
  const now = Date.now();
  if (Date.parse(leaf.validity.notAfter) < now || Date.parse(leaf.validity.notBefore) > now) {
    return connection.deny();
  }
  connection.logCustomData('ca=' + issuingCA);
  return connection.allow();
}
