import cf from 'cloudfront';

// Client registry. Every client certificate is registered in the KVS under
// "client:<serial hex, no colons, no leading zeros>" with its tenant and an
// enabled flag. Disabled clients and clients whose subject does not name
// their tenant are refused.
const registry = cf.kvs();

function registryKey(serial) {
  return 'client:' + String(serial).split(':').join('').toLowerCase().replace(/^0+(?=.)/, '');
}

async function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const entry = await registry.get(registryKey(leaf.serialNumber), { format: 'json' });
  if (!entry || entry.enabled !== true) {
    connection.logCustomData('client disabled');
    return connection.deny();
  }
  const subject = String(leaf.subject);
  if (subject.indexOf('O=' + entry.tenant) === -1) {
    console.log('tenant mismatch for registered client');
    return connection.deny();
  }
  connection.logCustomData('tenant=' + entry.tenant);
  return connection.allow();
}
