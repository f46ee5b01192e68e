// Office-only admin endpoint: clients must come from the corporate IPv4 ranges
// or the corporate IPv6 /48; the certificate is checked afterwards.
const V4_RANGES = [['10.0.0.0', 8], ['192.168.0.0', 16], ['203.0.113.0', 24]];
const V6_PREFIX = '2001:db8:1234:';

function ipv4ToInt(ip) {
  const parts = ip.split('.');
  if (parts.length !== 4) return -1;
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const p = parseInt(parts[i], 10);
    if (isNaN(p) || p < 0 || p > 255) return -1;
    n = n * 256 + p;
  }
  return n;
}

function inV4Ranges(ip) {
  const n = ipv4ToInt(ip);
  if (n < 0) return false;
  for (let i = 0; i < V4_RANGES.length; i++) {
    const base = ipv4ToInt(V4_RANGES[i][0]);
    const size = Math.pow(2, 32 - V4_RANGES[i][1]);
    if (n >= base && n < base + size) return true;
  }
  return false;
}

function connectionHandler(connection) {
  const ip = String(connection.clientIp || '');
  if (ip.indexOf(':') === -1) {
    if (!inV4Ranges(ip)) { connection.deny(); return; }
  } else if (ip.toLowerCase().indexOf('::ffff:') === 0) {
    // IPv4-mapped IPv6: check the embedded IPv4 address.
    // BUG: the branch only allows; an out-of-range mapped address falls through
    // to the end without any decision.
    if (inV4Ranges(ip.substring(7))) { connection.allow(); }
    return;
  } else if (ip.toLowerCase().indexOf(V6_PREFIX) !== 0) {
    connection.deny();
    return;
  }
  if (connection.clientCertificate) {
    connection.allow();
  } else {
    connection.deny();
  }
}
