import cf from 'cloudfront';

// Per-issuer policy kept in the KeyValueStore: key = issuer CN, value = JSON
// {"allow": true, "maxDays": 397}. Unknown issuers are denied.
const kvs = cf.kvs();

function issuerCN(dn) {
  const parts = String(dn).split(',');
  for (let i = 0; i < parts.length; i++) {
    const kv = parts[i].trim();
    if (kv.indexOf('CN=') === 0) return kv.substring(3);
  }
  return '';
}

async function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc) { connection.deny(); return; }
  const leaf = cc.certificates.leaf;
  const cn = issuerCN(leaf.issuer);
  if (!cn || !(await kvs.exists(cn))) {
    connection.deny();
    return;
  }
  const raw = await kvs.get(cn);
  // BUG: a legacy entry holds a plain string, not JSON; no try/catch.
  const policy = JSON.parse(raw);
  const lifetimeDays = (Date.parse(leaf.validity.notAfter) - Date.parse(leaf.validity.notBefore)) / 86400000;
  if (policy.allow && !(lifetimeDays > policy.maxDays)) {
    connection.allow();
  } else {
    connection.deny();
  }
}
