// Partner gateway (clean). mTLS is optional on this distribution:
//   - without a certificate, only the office egress networks get in
//     (203.0.113.0/24 and 2001:db8:10::/48);
//   - with one, it must come from the partner CA: the leaf's issuer must be
//     the partner CA and, when CloudFront forwards intermediates, the first
//     of them must be that CA;
//   - when OCSP ran, the leaf must be Good, or Error with a responder
//     InternalError (soft-fail); Revoked, Unknown, verification failures
//     and anything unexpected are refused.
const PARTNER_CA = 'cn=example corp intermediate ca,o=example corp,c=us';

function canonicalDN(dn) {
  return typeof dn === 'string' ? dn.split(/\s*,\s*/).join(',').toLowerCase() : null;
}

function fromOffice(ip) {
  const v4 = /^203\.0\.113\.(\d{1,3})$/.exec(ip);
  if (v4) {
    return parseInt(v4[1], 10) <= 255;
  }
  return /^2001:0?db8:0{0,2}10:[0-9a-f:]*$/i.test(ip);
}

function chainOK(certs) {
  if (canonicalDN(certs.leaf.issuer) !== PARTNER_CA) {
    return false;
  }
  const inter = certs.intermediates;
  if (inter === undefined || inter === null || (Array.isArray(inter) && inter.length === 0)) {
    return true;
  }
  return Array.isArray(inter) && !!inter[0] && canonicalDN(inter[0].subject) === PARTNER_CA;
}

function ocspOK(rs) {
  if (rs === undefined || rs === null) {
    return true;
  }
  const st = rs.certificates ? rs.certificates.leaf : null;
  if (!st || rs.chainValidity === 'Invalid') {
    return false;
  }
  if (st.status === 'Good') {
    return true;
  }
  return st.status === 'Error' && typeof st.errorType === 'string' && st.errorType === 'InternalError';
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (cc === undefined || cc === null) {
    if (fromOffice(String(connection.clientIp))) {
      connection.logCustomData('staff-no-cert');
      return connection.allow();
    }
    return connection.deny();
  }
  if (!cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  if (!chainOK(cc.certificates)) {
    console.log('certificate not from the partner CA');
    return connection.deny();
  }
  if (!ocspOK(cc.revocationStatus)) {
    connection.logCustomData('ocsp refused');
    return connection.deny();
  }
  connection.logCustomData('partner');
  return connection.allow();
}
