import cf from 'cloudfront';

// clean.js: the corrected version of demo.js, and an example of a
// connection function written to survive every connection object
// CloudFront can send.
//
// Policy (as in demo.js):
//   1. clients from the blocked networks are refused;
//   2. the client certificate must be issued by one of ALLOWED_ISSUERS;
//   3. its serial must not be listed as revoked in the KeyValueStore, under
//      "revoked:<serial as lower-case hex, no colons, no leading zeros>";
//   4. when the trust store checks OCSP, a Revoked leaf or an Invalid chain
//      is refused, and an OCSP Error is tolerated (soft-fail) only when
//      CloudFront reports an InternalError of the responder.
//
// The habits that make it robust: every field is checked before use (a
// connection without a certificate is refused, not dereferenced); every
// KVS call is in try/catch and fails closed; every path ends in exactly one
// allow() or deny(), with deny() for anything unexpected; loops are bounded.

const kvs = cf.kvs();

const ALLOWED_ISSUERS = ['Example Corp Intermediate CA', 'Intermediate CA', 'mTLS-CA'];
const BLOCKED_NETWORKS = ['192.0.2.', '198.51.100.'];

function isString(v) {
  return typeof v === 'string' && v.length > 0;
}

// issuerCN returns the CN of a DN in either documented style:
// "CN=a,O=b,C=US" or "C=US, O=b, CN=a".
function issuerCN(dn) {
  const m = /(?:^|,)\s*CN=([^,]*)/.exec(dn);
  return m ? m[1].trim() : '';
}

// revocationKey maps "00:9e:2a:..." to "revoked:9e2a...".
function revocationKey(serial) {
  return 'revoked:' + serial.split(':').join('').toLowerCase().replace(/^0+(?=.)/, '');
}

async function revokedInStore(serial) {
  try {
    return (await kvs.exists(revocationKey(serial))) === true;
  } catch (e) {
    console.log('revocation lookup failed, failing closed');
    return true;
  }
}

// ocspVerdict turns CloudFront's OCSP result into "allow" or "deny"; any
// status it does not know (including "Unknown") is "deny".
function ocspVerdict(rs) {
  if (rs === undefined || rs === null) {
    return 'allow'; // OCSP is not enabled on the trust store
  }
  const leaf = rs.certificates && rs.certificates.leaf;
  if (rs.chainValidity === 'Invalid' || !leaf) {
    return 'deny';
  }
  if (leaf.status === 'Good') {
    return 'allow';
  }
  if (leaf.status === 'Error' && leaf.errorType === 'InternalError') {
    return 'allow';
  }
  return 'deny';
}

async function connectionHandler(connection) {
  const ip = String(connection.clientIp);
  for (let i = 0; i < BLOCKED_NETWORKS.length; i++) {
    if (ip.indexOf(BLOCKED_NETWORKS[i]) === 0) {
      connection.logCustomData('blocked network');
      return connection.deny();
    }
  }

  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (!leaf || !isString(leaf.issuer) || !isString(leaf.serialNumber)) {
    connection.logCustomData('no usable client certificate');
    return connection.deny();
  }
  const issuer = issuerCN(leaf.issuer);
  if (ALLOWED_ISSUERS.indexOf(issuer) === -1) {
    return connection.deny();
  }
  if (await revokedInStore(leaf.serialNumber)) {
    connection.logCustomData('revoked in KVS');
    return connection.deny();
  }
  if (ocspVerdict(cc.revocationStatus) !== 'allow') {
    connection.logCustomData('ocsp refused');
    return connection.deny();
  }
  connection.logCustomData('ok ' + issuer);
  return connection.allow();
}
