import cf from 'cloudfront';

// Revocation by KVS. Our CRL exporter writes every revoked serial to the
// key-value store as "revoked:<serial in minimal hex>" (lower case, no
// colons, no leading zeros). Revoked certificates are refused; so is any
// certificate not issued by one of our CAs.
const kvs = cf.kvs();
const OUR_CAS = ['Example Corp Intermediate CA', 'Intermediate CA', 'mTLS-CA'];

function issuerCN(dn) {
  const m = /(?:^|,)\s*CN=([^,]*)/.exec(String(dn));
  return m ? m[1].trim() : '';
}

// "00:9e:2a" -> "9e2a"
function minimalHex(serial) {
  const n = parseInt(serial.split(':').join(''), 16);
  return n.toString(16);
}

async function isRevoked(serial) {
  try {
    return await kvs.exists('revoked:' + minimalHex(serial));
  } catch (e) {
    console.log('KVS unavailable, failing closed');
    return true;
  }
}

async function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (typeof leaf.serialNumber !== 'string' || leaf.serialNumber.length === 0) {
    return connection.deny();
  }
  if (OUR_CAS.indexOf(issuerCN(leaf.issuer)) === -1) {
    return connection.deny();
  }
  if (await isRevoked(leaf.serialNumber)) {
    connection.logCustomData('revoked serial');
    return connection.deny();
  }
  return connection.allow();
}
