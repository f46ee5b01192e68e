// SAN hygiene (clean). Refuse certificates whose SAN repeats a name or
// names anything outside example.com (IP and URI entries included), and
// certificates with more SAN entries than any of ours will ever have. The
// work is linear in the size of the SAN.
const DOMAIN = '.example.com';
const MAX_ENTRIES = 100;
const DNS_NAME = /^dns:[a-z0-9*]([a-z0-9-]{0,62}\.)*example\.com$/;

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (!leaf || typeof leaf.san !== 'string' || leaf.san === '') {
    return connection.deny();
  }
  const names = leaf.san.split(',', MAX_ENTRIES + 1);
  if (names.length > MAX_ENTRIES) {
    connection.logCustomData('too many SAN entries');
    return connection.deny();
  }
  const seen = Object.create(null);
  for (let i = 0; i < names.length; i++) {
    const name = names[i].trim().toLowerCase();
    if (seen[name] === true) {
      connection.logCustomData('duplicate SAN entries');
      return connection.deny();
    }
    seen[name] = true;
    if (name.length > 260 || !DNS_NAME.test(name) || name.slice(-DOMAIN.length) !== DOMAIN) {
      return connection.deny();
    }
  }
  return connection.allow();
}
