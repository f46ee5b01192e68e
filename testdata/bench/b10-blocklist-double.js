import cf from 'cloudfront';

// Abuse block list. The SOC writes offending client addresses to the KVS as
// "blocked-ip:<address>". Blocked addresses are refused; everybody else
// with a current certificate from our intermediate CA is let in.
const kvs = cf.kvs();
const OUR_CA = 'CN=Example Corp Intermediate CA,O=Example Corp,C=US';

async function isBlocked(ip) {
  try {
    return await kvs.exists('blocked-ip:' + ip);
  } catch (e) {
    console.log('block list unavailable');
    return false;
  }
}

async function connectionHandler(connection) {
  if (await isBlocked(connection.clientIp)) {
    connection.logCustomData('blocked-ip');
    connection.deny();
  }
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const issuer = String(leaf.issuer).replace(/,\s+/g, ',');
  const notAfter = Date.parse(leaf.validity && leaf.validity.notAfter);
  if (issuer === OUR_CA && notAfter > Date.now()) {
    return connection.allow();
  }
  return connection.deny();
}
