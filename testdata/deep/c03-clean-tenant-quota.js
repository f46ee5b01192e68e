import cf from 'cloudfront';

// Tenant quota (clean). Each tenant (the subject's O, lower-case, spaces as
// dashes) is registered under "tenant:<name>" with the number of SAN names
// its certificates may carry; the log shows used and free slots.
const kvs = cf.kvs();

function org(subject) {
  const m = /(?:^|,\s*)O=([^,]+)/.exec(String(subject || ''));
  return m ? m[1].trim() : '';
}

async function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const tenant = org(leaf.subject).toLowerCase().replace(/\s+/g, '-');
  if (!tenant) {
    return connection.deny();
  }
  let quota;
  try {
    quota = JSON.parse(await kvs.get('tenant:' + tenant));
  } catch (e) {
    return connection.deny();
  }
  const slots = typeof quota.slots === 'number' ? quota.slots : 0;
  const names = String(leaf.san || '').split(',').filter((n) => n.indexOf('DNS:') === 0);
  if (names.length > slots) {
    connection.logCustomData(tenant + ' over quota: ' + names.length + '/' + slots);
    return connection.deny();
  }
  const bar = new Array(names.length).fill('#').concat(new Array(slots - names.length).fill('.'));
  connection.logCustomData(tenant + ' [' + bar.join('') + ']');
  return connection.allow();
}
