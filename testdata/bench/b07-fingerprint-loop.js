// Device pinning. Each managed kiosk's certificate fingerprint is listed
// below. The fingerprint may arrive as bare hex or colon-separated hex, so
// both are reduced to lower-case bare hex before the comparison; any other
// encoding is compared as is.
const PINNED = [
  '3f6a9d0c5b7e81f2a4c6e8d0b2f4a6c8e0d2f4a6b8c0e2f4a6c8e0d2f4a6b8c0',
  'abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890',
  '_w6bJ7aOAlGOj7NUhJxTfsfee-ONg_xop3_PTgTJpqs='
];

function withoutColons(fp) {
  let out = '';
  let i = 0;
  while (i < fp.length) {
    const next = fp.indexOf(':', i);
    if (next === -1) {
      out += fp.slice(i);
      break;
    }
    out += fp.slice(i, next);
    i = next;
  }
  return out;
}

function normalize(fp) {
  const bare = withoutColons(String(fp));
  return /^[0-9a-fA-F]{64}$/.test(bare) ? bare.toLowerCase() : bare;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const fp = normalize(cc.certificates.leaf.sha256Fingerprint);
  if (PINNED.indexOf(fp) !== -1) {
    connection.logCustomData('kiosk=' + fp.slice(0, 12));
    return connection.allow();
  }
  console.log('unpinned device');
  return connection.deny();
}
