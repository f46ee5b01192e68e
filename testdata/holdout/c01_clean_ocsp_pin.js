// Clean: OCSP-aware gate with issuer check, written defensively.
const TRUSTED_ISSUER_CNS = ['Example Corp Intermediate CA', 'Intermediate CA', 'mTLS-CA'];

function dnField(dn, name) {
  if (typeof dn !== 'string') return null;
  const parts = dn.split(',');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].trim();
    const eq = p.indexOf('=');
    if (eq > 0 && p.substring(0, eq).trim().toUpperCase() === name) {
      return p.substring(eq + 1).trim();
    }
  }
  return null;
}

function statusList(rs) {
  const out = [];
  const certs = rs && typeof rs.certificates === 'object' && rs.certificates ? rs.certificates : {};
  if (certs.leaf && typeof certs.leaf === 'object') out.push(certs.leaf.status);
  if (Array.isArray(certs.intermediates)) {
    for (let i = 0; i < certs.intermediates.length; i++) {
      const s = certs.intermediates[i];
      out.push(s && typeof s === 'object' ? s.status : 'Unknown');
    }
  }
  return out;
}

function decide(connection) {
  const cc = connection.clientCertificate;
  if (!cc || typeof cc !== 'object') return false;
  const certs = cc.certificates;
  const leaf = certs && typeof certs === 'object' ? certs.leaf : null;
  if (!leaf || typeof leaf !== 'object') return false;
  const issuerCN = dnField(leaf.issuer, 'CN');
  if (issuerCN === null || TRUSTED_ISSUER_CNS.indexOf(issuerCN) === -1) return false;
  const rs = cc.revocationStatus;
  if (rs && typeof rs === 'object') {
    if (rs.chainValidity !== 'Valid') return false;
    const statuses = statusList(rs);
    for (let i = 0; i < statuses.length; i++) {
      if (statuses[i] === 'Revoked') return false;
    }
  }
  return true;
}

function connectionHandler(connection) {
  let ok = false;
  try {
    ok = decide(connection);
  } catch (e) {
    console.log('policy error: ' + (e && e.name));
    ok = false;
  }
  if (ok) {
    connection.allow();
  } else {
    connection.deny();
  }
}
