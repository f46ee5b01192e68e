// Break-glass access. During an incident the on-call SRE is issued a
// certificate whose CN is "breakglass-" and the day's date (UTC, yyyymmdd);
// it is valid only on that day, and its subject must carry the incident
// ticket (OU=TICKET-<number>), which is logged. Everyone else goes through
// the usual issuer check.
const TRUSTED = 'CN=Example Corp Intermediate CA';

function pad(n) {
  return (n < 10 ? '0' : '') + n;
}

function today() {
  const d = new Date(Date.now());
  return 'breakglass-' + d.getUTCFullYear() + pad(d.getUTCMonth() + 1) + pad(d.getUTCDate());
}

function cn(dn) {
  const m = /(?:^|,\s*)CN=([^,]*)/.exec(String(dn || ''));
  return m ? m[1] : '';
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (String(leaf.issuer).indexOf(TRUSTED) === -1) {
    return connection.deny();
  }
  if (cn(leaf.subject) !== today()) {
    return connection.allow();
  }
  if (String(leaf.subject).indexOf('OU=SRE') === -1) {
    connection.logCustomData('break-glass certificate outside SRE');
    return connection.deny();
  }
  const ticket = /OU=TICKET-(\d+)/.exec(leaf.subject)[1];
  connection.logCustomData('break-glass ticket ' + ticket);
  return connection.allow();
}
