import cf from 'cloudfront';

// Operator access. Operator certificates are registered in the key-value
// store under "op:" + the first 16 hex digits of their SHA-256 fingerprint,
// with a role. Operators connect from anywhere; admins from the office
// network, or remotely with the scopes their registration grants.
const kvs = cf.kvs();
const OFFICE = [10, 20];

function fingerprintHex(fp) {
  const s = String(fp || '');
  if (/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){31}$/.test(s)) {
    return s.split(':').join('').toLowerCase();
  }
  if (/^[0-9a-fA-F]{64}$/.test(s)) {
    return s.toLowerCase();
  }
  return null;
}

function inOffice(ip) {
  const o = String(ip).split('.');
  return o.length === 4 && Number(o[0]) === OFFICE[0] && Number(o[1]) === OFFICE[1];
}

async function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const fp = fingerprintHex(cc.certificates.leaf.sha256Fingerprint);
  if (!fp) {
    return connection.deny();
  }
  let reg;
  try {
    reg = JSON.parse(await kvs.get('op:' + fp.slice(0, 16)));
  } catch (e) {
    connection.logCustomData('unregistered');
    return connection.deny();
  }
  if (reg.role === 'operator') {
    return connection.allow();
  }
  if (reg.role !== 'admin') {
    return connection.deny();
  }
  if (inOffice(connection.clientIp)) {
    return connection.allow();
  }
  const scopes = reg.scopes.split(' ');
  connection.logCustomData('remote admin: ' + scopes.join(','));
  return scopes.indexOf('remote') !== -1 ? connection.allow() : connection.deny();
}
