// Regional pinning. Our device CA encodes the issuing region in the serial
// number: the fourth byte from the end is the region code. Devices may only
// connect to the distribution of their own region (this one is eu).
const REGIONS = { '01': 'eu', '02': 'us', '03': 'ap' };
const THIS_REGION = 'eu';
const DEVICE_CA = 'Example Corp Intermediate CA';

function regionOf(serial) {
  const bytes = String(serial).split(':');
  const code = bytes[bytes.length - 4].toLowerCase();
  return Object.prototype.hasOwnProperty.call(REGIONS, code) ? REGIONS[code] : 'unknown';
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (String(leaf.issuer).indexOf('CN=' + DEVICE_CA) === -1) {
    return connection.deny();
  }
  const region = regionOf(leaf.serialNumber);
  if (region !== THIS_REGION) {
    connection.logCustomData('device region ' + region);
    return connection.deny();
  }
  return connection.allow();
}
