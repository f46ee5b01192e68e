// Admin console (clean). Certificates of the Admins OU may connect only from
// the admin VPN, 10.1.0.0/16 or 2001:db8:a::/48; every other certificate
// from our CA may connect from anywhere. Addresses are compared as numbers,
// never as string prefixes.
const OUR_ISSUER_CN = 'Example Corp Intermediate CA';

// ipv4 returns the address as a number, or -1 if ip is not dotted IPv4.
function ipv4(ip) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) {
    return -1;
  }
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = parseInt(m[i], 10);
    if (o > 255) {
      return -1;
    }
    n = n * 256 + o;
  }
  return n;
}

// ipv6Groups returns the eight 16-bit groups of an IPv6 address (handling
// "::" and an embedded IPv4 tail), or null if ip is not IPv6.
function ipv6Groups(ip) {
  if (ip.length > 45 || ip.indexOf(':') === -1) {
    return null;
  }
  const halves = ip.split('::');
  if (halves.length > 2) {
    return null;
  }
  const parse = (s) => {
    if (s === '') {
      return [];
    }
    const out = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const v4 = i === parts.length - 1 ? ipv4(parts[i]) : -1;
      if (v4 >= 0) {
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(parts[i])) {
        out.push(parseInt(parts[i], 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (head === null || tail === null) {
    return null;
  }
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) {
    return null;
  }
  const zeros = [];
  for (let i = 0; i < missing; i++) {
    zeros.push(0);
  }
  return head.concat(zeros, tail);
}

function fromAdminVPN(ip) {
  const v4 = ipv4(ip);
  if (v4 >= 0) {
    return Math.floor(v4 / 65536) === 10 * 256 + 1;
  }
  const g = ipv6Groups(ip);
  return g !== null && g[0] === 0x2001 && g[1] === 0x0db8 && g[2] === 0x000a;
}

function hasRDN(dn, attr, value) {
  const rdns = dn.split(/,\s*/);
  return rdns.indexOf(attr + '=' + value) !== -1;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (!leaf || typeof leaf.issuer !== 'string' || typeof leaf.subject !== 'string') {
    return connection.deny();
  }
  if (!hasRDN(leaf.issuer, 'CN', OUR_ISSUER_CN)) {
    return connection.deny();
  }
  const isAdmin = hasRDN(leaf.subject, 'OU', 'Admins');
  if (isAdmin && !fromAdminVPN(String(connection.clientIp))) {
    connection.logCustomData('admin outside VPN');
    return connection.deny();
  }
  connection.logCustomData(isAdmin ? 'admin' : 'user');
  return connection.allow();
}
