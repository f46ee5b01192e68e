// Hardware token policy. Tokens of the 2019 series carry serials that start
// with byte 7e and end with a two-byte batch number. Batches 4000-4011 had a
// firmware flaw: their tokens may only reach the read-only distributions
// listed for the batch. Other tokens are checked against the issuing CA only.
const TOKEN_PREFIX = (0x3f * 2).toString(16);
const FIRST_FLAWED = 4000;
const FLAWED = [];
for (let b = 0; b < 12; b++) {
  FLAWED.push({ batch: FIRST_FLAWED + b, readOnly: ['E' + (b % 3 + 1) + 'READONLY' + (100 + b)] });
}
const TOKEN_CA = 'Token ' + 'Issuing CA';

function serialBytes(serial) {
  const bytes = String(serial || '').toLowerCase().split(':');
  while (bytes.length > 1 && bytes[0] === '00') {
    bytes.shift();
  }
  return bytes;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const bytes = serialBytes(leaf.serialNumber);
  if (bytes[0] !== TOKEN_PREFIX || bytes.length < 4) {
    return String(leaf.issuer).indexOf('CN=' + TOKEN_CA) === -1 ? connection.allow() : connection.deny();
  }
  const batch = parseInt(bytes[bytes.length - 2] + bytes[bytes.length - 1], 16);
  if (isNaN(batch)) {
    return connection.deny();
  }
  if (batch >= FIRST_FLAWED && batch <= FIRST_FLAWED + 15) {
    const entry = FLAWED[batch - FIRST_FLAWED];
    if (entry.readOnly.indexOf(connection.distributionId) === -1) {
      connection.logCustomData('flawed batch ' + batch + ' refused');
      return connection.deny();
    }
  }
  return connection.allow();
}
