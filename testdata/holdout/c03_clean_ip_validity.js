// Clean: IP allow list (IPv4, IPv4-mapped IPv6, corporate IPv6 prefix) plus a
// certificate validity window check with parsed dates.
const V4 = [[0x0A000000, 8], [0xC0A80000, 16], [0xCB007100, 24]];
const V6_PREFIX = '2001:db8:1234:';

function v4(ip) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return -1;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const b = Number(m[i]);
    if (b > 255) return -1;
    n = n * 256 + b;
  }
  return n;
}

function ipAllowed(ip) {
  if (typeof ip !== 'string') return false;
  let s = ip.toLowerCase();
  if (s.indexOf('::ffff:') === 0) s = s.substring(7);
  if (s.indexOf(':') !== -1) return s.indexOf(V6_PREFIX) === 0;
  const n = v4(s);
  if (n < 0) return false;
  for (let i = 0; i < V4.length; i++) {
    const size = Math.pow(2, 32 - V4[i][1]);
    if (n >= V4[i][0] && n < V4[i][0] + size) return true;
  }
  return false;
}

function validNow(validity) {
  if (!validity || typeof validity !== 'object') return false;
  const nb = Date.parse(validity.notBefore);
  const na = Date.parse(validity.notAfter);
  if (isNaN(nb) || isNaN(na)) return false;
  const now = Date.now();
  return nb <= now && now <= na;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates && typeof cc.certificates === 'object' ? cc.certificates.leaf : null;
  if (ipAllowed(connection.clientIp) && leaf && typeof leaf === 'object' && validNow(leaf.validity)) {
    connection.allow();
  } else {
    connection.deny();
  }
}
