import cf from 'cloudfront';

// demo.js: an example CloudFront connection function, the target of
// cffuzz's demo campaign.
//
// Policy of the "api.example.com" distribution (mTLS required):
//   1. clients from the blocked networks are refused;
//   2. the client certificate must be issued by one of ALLOWED_ISSUERS;
//   3. its serial must not be listed as revoked in the KeyValueStore, under
//      "revoked:<serial as lower-case hex, no colons, no leading zeros>";
//   4. when the trust store checks OCSP, a Revoked leaf or an Invalid chain
//      is refused, and an OCSP Error is tolerated (soft-fail) only when
//      CloudFront reports an InternalError of the responder.
//
// Like many functions in production, it has bugs that its unit tests (which
// only use the documented example objects) never hit. The demo campaign
// finds them; examples/functions/clean.js is the corrected version.

const kvs = cf.kvs();

const ALLOWED_ISSUERS = ['Example Corp Intermediate CA', 'Intermediate CA', 'mTLS-CA'];
const BLOCKED_NETWORKS = ['192.0.2.', '198.51.100.'];

// issuerCN returns the CN of a DN in either documented style:
// "CN=a,O=b,C=US" or "C=US, O=b, CN=a".
function issuerCN(dn) {
  const m = /(?:^|,)\s*CN=([^,]*)/.exec(String(dn));
  return m ? m[1].trim() : '';
}

// revocationKey maps "00:9e:2a:..." to "revoked:9e2a...".
function revocationKey(serial) {
  return 'revoked:' + String(serial).split(':').join('').toLowerCase().replace(/^0+(?=.)/, '');
}

async function revokedInStore(serial) {
  try {
    return await kvs.exists(revocationKey(serial));
  } catch (e) {
    console.log('revocation lookup failed, failing closed');
    return true;
  }
}

// ocspVerdict turns CloudFront's OCSP result into "allow" or "deny".
function ocspVerdict(rs) {
  if (!rs) {
    return 'allow'; // OCSP is not enabled on the trust store
  }
  if (rs.chainValidity === 'Invalid') {
    return 'deny';
  }
  const leaf = rs.certificates && rs.certificates.leaf;
  if (!leaf || leaf.status === 'Revoked') {
    return 'deny';
  }
  if (leaf.status === 'Good') {
    return 'allow';
  }
  if (leaf.status === 'Error') {
    return leaf.errorType === 'InternalError' ? 'allow' : 'deny';
  }
}

async function connectionHandler(connection) {
  const ip = String(connection.clientIp);
  for (let i = 0; i < BLOCKED_NETWORKS.length; i++) {
    if (ip.indexOf(BLOCKED_NETWORKS[i]) === 0) {
      connection.logCustomData('blocked network');
      return connection.deny();
    }
  }

  const leaf = connection.clientCertificate.certificates.leaf;
  if (ALLOWED_ISSUERS.indexOf(issuerCN(leaf.issuer)) === -1) {
    console.log('issuer not allowed: ' + issuerCN(leaf.issuer));
    return connection.deny();
  }
  if (await revokedInStore(leaf.serialNumber)) {
    connection.logCustomData('revoked in KVS');
    return connection.deny();
  }

  const verdict = ocspVerdict(connection.clientCertificate.revocationStatus);
  if (verdict === 'allow') {
    connection.logCustomData('ok ' + issuerCN(leaf.issuer));
    return connection.allow();
  }
  if (verdict === 'deny') {
    connection.logCustomData('ocsp refused');
    return connection.deny();
  }
}
