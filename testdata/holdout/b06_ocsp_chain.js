// OCSP enforcement: deny revoked leaves and revoked intermediates; tolerate
// responder errors on intermediates (soft-fail) but not on the leaf.
function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc) {
    connection.deny();
    return;
  }
  const rs = cc.revocationStatus;
  if (!rs) {
    // OCSP not enabled on this trust store: rely on chain validation only.
    connection.allow();
    return;
  }
  const leafStatus = rs.certificates && rs.certificates.leaf ? rs.certificates.leaf.status : 'Unknown';
  if (leafStatus !== 'Good') {
    connection.logCustomData('leaf ocsp ' + leafStatus);
    connection.deny();
    return;
  }
  let revoked = false;
  // BUG: intermediates is absent when the chain has no intermediate.
  rs.certificates.intermediates.forEach(function (s) {
    if (s.status === 'Revoked') revoked = true;
  });
  if (revoked) {
    connection.deny();
  } else {
    connection.allow();
  }
}
