// Device and team access (clean). A client is let in when its certificate
// fingerprint is pinned below, or when our CA issued it to one of the
// listed teams. The fingerprint is accepted in each documented format
// (64 hex digits, colon-separated hex, base64url); DNs in either style,
// with escaped characters ("CN=Smith\, John") handled.
const PINNED_HEX = [
  'ff0e9b27b68e02518e8fb354849c537ec7de7be38d83fc68a77fcf4e04c9a6ab',
  'abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890'
];
const OUR_CA = 'Example Corp Intermediate CA';
const TEAMS = ['API', 'Edge', 'Payments'];
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// fingerprintHex returns the fingerprint as 64 lower-case hex digits, or
// null if it is in none of the documented formats.
function fingerprintHex(fp) {
  if (typeof fp !== 'string' || fp.length > 128) {
    return null;
  }
  const bare = fp.split(':').join('');
  if (/^[0-9a-fA-F]{64}$/.test(bare)) {
    return bare.toLowerCase();
  }
  const b64 = fp.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (!/^[A-Za-z0-9_-]{43}$/.test(b64)) {
    return null;
  }
  let acc = 0;
  let bits = 0;
  let hex = '';
  for (let i = 0; i < b64.length; i++) {
    acc = (acc << 6) | B64URL.indexOf(b64[i]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = (acc >> bits) & 0xff;
      hex += (byte < 16 ? '0' : '') + byte.toString(16);
      acc &= (1 << bits) - 1;
    }
  }
  return hex;
}

// parseDN returns the attributes of an RFC 4514 DN as {type: [values]}.
function parseDN(dn) {
  const attrs = {};
  let type = '';
  let value = '';
  let inValue = false;
  const flush = () => {
    const t = type.trim().toUpperCase();
    if (t !== '') {
      attrs[t] = (attrs[t] || []).concat([value.trim()]);
    }
    type = '';
    value = '';
    inValue = false;
  };
  for (let i = 0; i < dn.length; i++) {
    let ch = dn[i];
    if (ch === '\\' && i + 1 < dn.length) {
      const pair = dn.substr(i + 1, 2);
      if (/^[0-9a-fA-F]{2}$/.test(pair)) {
        ch = String.fromCharCode(parseInt(pair, 16));
        i += 2;
      } else {
        ch = dn[i + 1];
        i += 1;
      }
    } else if (ch === ',' || ch === '+') {
      flush();
      continue;
    } else if (ch === '=' && !inValue) {
      inValue = true;
      continue;
    }
    if (inValue) {
      value += ch;
    } else {
      type += ch;
    }
  }
  flush();
  return attrs;
}

function has(attrs, type, wanted) {
  const values = Object.prototype.hasOwnProperty.call(attrs, type) ? attrs[type] : [];
  return values.some((v) => wanted.indexOf(v) !== -1);
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (!leaf) {
    return connection.deny();
  }
  const fp = fingerprintHex(leaf.sha256Fingerprint);
  if (fp !== null && PINNED_HEX.indexOf(fp) !== -1) {
    connection.logCustomData('pinned device ' + fp.slice(0, 16));
    return connection.allow();
  }
  if (typeof leaf.issuer !== 'string' || typeof leaf.subject !== 'string' ||
      leaf.issuer.length > 2048 || leaf.subject.length > 2048) {
    return connection.deny();
  }
  const issuer = parseDN(leaf.issuer);
  const subject = parseDN(leaf.subject);
  if (has(issuer, 'CN', [OUR_CA]) && has(subject, 'O', ['Example Corp']) && has(subject, 'OU', TEAMS)) {
    connection.logCustomData('team member');
    return connection.allow();
  }
  return connection.deny();
}
