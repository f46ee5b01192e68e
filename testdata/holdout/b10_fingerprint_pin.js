// Certificate pinning for the billing service: the leaf fingerprint must equal
// one of the pinned SHA-256 fingerprints (stored as byte arrays).
const PINS = [
  [0xAB, 0xCD, 0xEF, 0x12, 0x34, 0x56, 0x78, 0x90],
  [0x12, 0x34, 0x56, 0x78, 0x90, 0xAB, 0xCD, 0xEF]
];

function fingerprintBytes(fp) {
  // BUG: fingerprints are colon-separated, not comma-separated: split(',')
  // yields one element and parseInt reads only the first byte's hex prefix,
  // or NaN for non-hex formats.
  return String(fp).split(',').map(x => parseInt(x, 16));
}

function samePrefix(a, pin) {
  for (let i = 0; i < a.length && i < pin.length; i++) {
    if (a[i] !== pin[i]) return false;
  }
  return true;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    connection.deny();
    return;
  }
  const bytes = fingerprintBytes(cc.certificates.leaf.sha256Fingerprint);
  for (let i = 0; i < PINS.length; i++) {
    if (samePrefix(bytes, PINS[i])) {
      connection.allow();
      return;
    }
  }
  connection.deny();
}
