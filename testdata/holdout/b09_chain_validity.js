// Revocation-aware gate with an explicit switch on the overall chain verdict.
function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc) {
    connection.deny();
    return;
  }
  const rs = cc.revocationStatus;
  const verdict = rs ? rs.chainValidity : 'Valid';
  switch (verdict) {
    case 'Valid':
      connection.allow();
      break;
    case 'Invalid':
      connection.logCustomData('chain invalid');
      connection.deny();
      break;
    // BUG: 'Unknown' (responder unreachable) and any other value fall out of
    // the switch with no decision.
  }
}
