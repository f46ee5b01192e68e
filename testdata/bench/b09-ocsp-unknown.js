// OCSP soft-fail. CloudFront checks the chain with OCSP and passes the
// result. Revoked or invalid chains are refused; a responder outage
// (InternalError) is tolerated so that an OCSP incident does not lock out
// every client, but a response that fails verification is not.
function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const rs = cc.revocationStatus;
  if (!rs) {
    console.log('OCSP is not enabled on the trust store');
    return connection.allow();
  }
  if (rs.chainValidity === 'Invalid') {
    connection.logCustomData('ocsp chain invalid');
    return connection.deny();
  }
  const leafStatus = rs.certificates && rs.certificates.leaf;
  if (!leafStatus) {
    return connection.deny();
  }
  switch (leafStatus.status) {
    case 'Good':
      return connection.allow();
    case 'Revoked':
      connection.logCustomData('revoked ' + leafStatus.serialNumber);
      return connection.deny();
    case 'Error':
      if (leafStatus.errorType === 'InternalError') {
        connection.logCustomData('ocsp soft-fail');
        return connection.allow();
      }
      return connection.deny();
  }
}
