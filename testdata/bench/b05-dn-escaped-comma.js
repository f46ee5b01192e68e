// Tenant gate. The subject's O attribute names the tenant and OU the team;
// only listed teams of listed tenants may connect. Certificates must come
// from one of our issuers.
const TENANTS = {
  'Example Corp': ['API', 'Edge', 'Payments'],
  'Example Org': ['Clients'],
  'Ram': ['Edge']
};
const ISSUERS = ['Example Corp Intermediate CA', 'Intermediate CA', 'mTLS-CA'];

// "CN=a,OU=b,O=c" (or "CN=a, OU=b, O=c") -> {CN: 'a', OU: 'b', O: 'c'}
function parseDN(dn) {
  const out = {};
  String(dn).split(',').forEach((part) => {
    const kv = part.split('=');
    out[kv[0].trim()] = kv[1].trim();
  });
  return out;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const issuer = parseDN(leaf.issuer);
  if (ISSUERS.indexOf(issuer.CN) === -1) {
    console.log('issuer not accepted: ' + issuer.CN);
    return connection.deny();
  }
  const subject = parseDN(leaf.subject);
  const teams = Object.prototype.hasOwnProperty.call(TENANTS, subject.O) ? TENANTS[subject.O] : null;
  if (!teams || teams.indexOf(subject.OU) === -1) {
    console.log('tenant/team not allowed: ' + subject.O + '/' + subject.OU);
    return connection.deny();
  }
  connection.logCustomData('tenant=' + subject.O + ';team=' + subject.OU);
  return connection.allow();
}
