// Partner network policy. Partners connect from the /28 we assigned them at
// the exchange, split into blocks of four addresses, one per partner; each
// partner may use only its own distributions.
const EXCHANGE_BASE = (((198 << 24) | (51 << 16) | (100 << 8)) >>> 0) + 64;
const BLOCK_SIZE = 4;
const PARTNERS = [
  { name: 'northwind', distributions: ['E1NORTHWIND001'] },
  { name: 'contoso', distributions: ['E1CONTOSO00001'] },
  { name: 'fabrikam', distributions: ['E1FABRIKAM0001'] },
];

function ipv4ToInt(ip) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(String(ip));
  if (!m) {
    return -1;
  }
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) {
      return -1;
    }
    n = n * 256 + o;
  }
  return n;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const ip = ipv4ToInt(connection.clientIp);
  if (ip < 0) {
    return connection.allow();
  }
  if (ip >= EXCHANGE_BASE && ip < EXCHANGE_BASE + 16) {
    const partner = PARTNERS[Math.floor((ip - EXCHANGE_BASE) / BLOCK_SIZE)];
    if (partner.distributions.indexOf(connection.distributionId) === -1) {
      connection.logCustomData('partner ' + partner.name + ' on a foreign distribution');
      return connection.deny();
    }
  }
  return connection.allow();
}
