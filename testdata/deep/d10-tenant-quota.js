import cf from 'cloudfront';

// Tenant quota. Each tenant (the subject's O, lower-case, spaces as dashes)
// is registered in the key-value store under "tenant:<name>" with the
// number of SAN names its certificates may carry. The connection log shows
// each tenant's usage as a bar of used and free slots.
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
    connection.logCustomData('unknown tenant');
    return connection.deny();
  }
  const names = String(leaf.san || '').split(',').filter((n) => n.indexOf('DNS:') === 0);
  const bar = new Array(names.length).fill('#').concat(new Array(quota.slots - names.length).fill('.'));
  connection.logCustomData(tenant + ' [' + bar.join('') + ']');
  return names.length <= quota.slots ? connection.allow() : connection.deny();
}
