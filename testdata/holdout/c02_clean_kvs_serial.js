import cf from 'cloudfront';

// Clean: serial deny list in the KeyValueStore (key = lowercase hex serial
// without colons, value = JSON {"reason": "..."}); everything else by SAN.
const kvs = cf.kvs();
const SUFFIX = '.example.com';

function normalizeSerial(s) {
  if (typeof s !== 'string') return '';
  return s.replace(/:/g, '').toLowerCase().replace(/^0+/, '');
}

function hasServiceSAN(san) {
  if (typeof san !== 'string') return false;
  const entries = san.split(',');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i].trim();
    if (e.indexOf('DNS:') === 0) {
      const name = e.substring(4).toLowerCase();
      if (name.length > SUFFIX.length && name.substring(name.length - SUFFIX.length) === SUFFIX) return true;
    }
  }
  return false;
}

async function isRevoked(serial) {
  if (serial === '' || serial.length > 512) return false;
  try {
    if (!(await kvs.exists(serial))) return false;
    const v = await kvs.get(serial);
    let reason = 'unspecified';
    try {
      const obj = JSON.parse(v);
      if (obj && typeof obj.reason === 'string') reason = obj.reason;
    } catch (e) {
      reason = 'unparsed';
    }
    console.log('revoked: ' + reason);
    return true;
  } catch (e) {
    return true; // fail closed on store errors
  }
}

async function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates && typeof cc.certificates === 'object' ? cc.certificates.leaf : null;
  if (!leaf || typeof leaf !== 'object') {
    connection.deny();
    return;
  }
  const revoked = await isRevoked(normalizeSerial(leaf.serialNumber));
  if (!revoked && hasServiceSAN(leaf.san)) {
    connection.allow();
  } else {
    connection.deny();
  }
}
