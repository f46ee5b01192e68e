// Subject DN parser (handles escaped commas) feeding an OU-based policy:
// only OU=Edge or OU=Payments may connect.
const ALLOWED_OU = ['Edge', 'Payments'];

function parseDN(dn) {
  const out = {};
  let i = 0;
  while (i < dn.length) {
    let j = i;
    while (j < dn.length && !(dn[j] === ',' && dn[j - 1] !== '\\')) j++;
    const rdn = dn.substring(i, j).trim();
    // BUG: skipping an empty component (",," or a leading ",") before
    // advancing i leaves i where it was: the loop never ends.
    if (rdn === '') continue;
    const eq = rdn.indexOf('=');
    if (eq > 0) {
      out[rdn.substring(0, eq).trim().toUpperCase()] = rdn.substring(eq + 1).trim();
    }
    i = j + 1;
  }
  return out;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    connection.deny();
    return;
  }
  const dn = parseDN(String(cc.certificates.leaf.subject || ''));
  if (ALLOWED_OU.indexOf(dn.OU) !== -1) {
    connection.allow();
  } else {
    connection.deny();
  }
}
