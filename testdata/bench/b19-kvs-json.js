import cf from 'cloudfront';

// Per-issuer policy. The policy of each accepted issuing CA lives in the KVS
// under "issuer:<CN>" as JSON, {"trusted":true,"ocsp":"soft"|"hard"}.
// Issuers without an entry are refused. "hard" means an OCSP error refuses
// the connection, "soft" tolerates it.
const kvs = cf.kvs();

function issuerCN(dn) {
  const m = /(?:^|,\s*)CN=([^,]+)/.exec(String(dn));
  return m ? m[1] : null;
}

async function policyFor(cn) {
  let raw;
  try {
    raw = await kvs.get('issuer:' + cn);
  } catch (e) {
    return null;
  }
  return JSON.parse(raw);
}

async function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const cn = issuerCN(cc.certificates.leaf.issuer);
  const policy = cn === null ? null : await policyFor(cn);
  if (!policy || policy.trusted !== true) {
    console.log('issuer without policy');
    return connection.deny();
  }
  const rs = cc.revocationStatus;
  const status = rs && rs.certificates && rs.certificates.leaf ? rs.certificates.leaf.status : 'Good';
  if (status === 'Good' || (status === 'Error' && policy.ocsp === 'soft')) {
    return connection.allow();
  }
  connection.logCustomData('ocsp ' + status);
  return connection.deny();
}
