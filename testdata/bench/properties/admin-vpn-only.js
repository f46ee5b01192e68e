// Property admin-vpn-only: a certificate of the Admins OU is allowed only
// from the admin VPN, 10.1.0.0/16 (or 2001:db8:a::/48 for IPv6).
//
// check(connection, outcome) returns true when the property holds and a
// message otherwise; outcome is {decision, error, utilization, logs,
// customData, calls}.
function isAdmin(subject) {
  return typeof subject === 'string' && subject.split(/,\s*/).indexOf('OU=Admins') !== -1;
}

function inAdminVPN(ip) {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const o = v4.slice(1).map((x) => parseInt(x, 10));
    return o[0] === 10 && o[1] === 1 && o[2] <= 255 && o[3] <= 255;
  }
  return /^2001:0?db8:0{0,3}a:/i.test(ip);
}

function check(connection, outcome) {
  if (outcome.decision !== 'allow') {
    return true;
  }
  const cc = connection && connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (!leaf || !isAdmin(leaf.subject)) {
    return true;
  }
  if (!inAdminVPN(String(connection.clientIp))) {
    return 'admin certificate allowed from ' + connection.clientIp;
  }
  return true;
}
