import cf from 'cloudfront';

// Client registry with revocation (clean). A client is let in when:
//   - its certificate's serial is not revoked in the KVS ("revoked:<hex>"),
//   - it is registered and enabled in the KVS ("client:<hex>" -> JSON
//     {"tenant": "...", "enabled": true}) and its subject names its tenant,
//   - CloudFront's OCSP result, when there is one, is Good for the leaf and
//     for every intermediate, and the chain is not Invalid.
// Serial hex is lower case, without colons and leading zeros.
const kvs = cf.kvs();

function serialHex(serial) {
  if (typeof serial !== 'string' || !/^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){0,39}$/.test(serial)) {
    return null;
  }
  return serial.split(':').join('').toLowerCase().replace(/^0+(?=.)/, '');
}

// lookup returns the value under key as JSON, or null when the key is
// missing, the value is not JSON, or the store fails.
async function lookup(key) {
  try {
    if (!(await kvs.exists(key))) {
      return null;
    }
    return await kvs.get(key, { format: 'json' });
  } catch (e) {
    console.log('KVS lookup failed for ' + key.split(':')[0]);
    return null;
  }
}

function ocspAllows(rs) {
  if (rs === undefined || rs === null) {
    return true;
  }
  const certs = rs.certificates || {};
  if (rs.chainValidity === 'Invalid' || !certs.leaf || certs.leaf.status !== 'Good') {
    return false;
  }
  const inter = Array.isArray(certs.intermediates) ? certs.intermediates : [];
  for (let i = 0; i < inter.length && i < 8; i++) {
    if (!inter[i] || inter[i].status !== 'Good') {
      return false;
    }
  }
  return inter.length <= 8;
}

async function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates ? cc.certificates.leaf : null;
  const hex = leaf ? serialHex(leaf.serialNumber) : null;
  if (hex === null || typeof leaf.subject !== 'string') {
    return connection.deny();
  }
  let revoked = true;
  try {
    revoked = await kvs.exists('revoked:' + hex);
  } catch (e) {
    revoked = true;
  }
  if (revoked !== false) {
    connection.logCustomData('revoked');
    return connection.deny();
  }
  const entry = await lookup('client:' + hex);
  if (!entry || entry.enabled !== true || typeof entry.tenant !== 'string') {
    connection.logCustomData('unregistered or disabled client');
    return connection.deny();
  }
  if (leaf.subject.split(/\s*,\s*/).indexOf('O=' + entry.tenant) === -1) {
    return connection.deny();
  }
  if (!ocspAllows(cc.revocationStatus)) {
    connection.logCustomData('ocsp');
    return connection.deny();
  }
  connection.logCustomData('tenant=' + entry.tenant);
  return connection.allow();
}
