// OCSP policy. A chain OCSP calls Valid is admitted, Invalid refused. When
// OCSP could not decide (Unknown), chains of our partner CA soft-fail on
// the leaf's own result, and every other chain hard-fails.
const PARTNER_CA = ['Partner', 'Issuing', 'CA', 'G3'].join(' ');

function issuerCN(issuer) {
  const parts = String(issuer || '').split(/,\s*/);
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].indexOf('CN=') === 0) {
      return parts[i].slice(3);
    }
  }
  return '';
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const rs = cc.revocationStatus;
  if (!rs) {
    return connection.allow();
  }
  if (rs.chainValidity === 'Valid') {
    return connection.allow();
  }
  if (rs.chainValidity !== 'Unknown') {
    return connection.deny();
  }
  if (issuerCN(cc.certificates.leaf.issuer) !== PARTNER_CA) {
    connection.logCustomData('ocsp unknown: hard fail');
    return connection.deny();
  }
  const leafResult = rs.certificates && rs.certificates.leaf;
  const status = leafResult ? leafResult.status : 'Unknown';
  if (status === 'Good' || status === 'Unknown') {
    connection.logCustomData('partner soft-fail: ' + status);
    return connection.allow();
  }
  if (status === 'Revoked') {
    return connection.deny();
  }
  if (status === 'Error') {
    if (String(leafResult.errorType).indexOf('verification failed') !== -1) {
      connection.logCustomData('partner OCSP response forged');
      return connection.deny();
    }
    connection.logCustomData('partner OCSP responder error');
    return;
  }
  return connection.deny();
}
