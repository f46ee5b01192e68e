// Describes a thrown or rejected value as [name, message, stack] without
// letting a hostile getter or toString escape (the caller keeps the time
// limit armed while this runs).
(function (v) {
	var t = typeof v;
	if (v === null || (t !== "object" && t !== "function")) {
		var s;
		try {
			s = t === "string" ? JSON.stringify(v) : String(v);
		} catch (e) {
			s = t;
		}
		return ["", "uncaught " + (v === null ? "null" : t === "undefined" ? "undefined" : t + " " + s), ""];
	}
	var name = "", message = "", stack = "";
	try {
		if (typeof v.name === "string") name = v.name;
	} catch (e) {}
	try {
		if (v.message !== undefined) message = String(v.message);
	} catch (e) {}
	try {
		if (typeof v.stack === "string") stack = v.stack;
	} catch (e) {}
	if (name === "" && message === "") {
		try {
			message = "uncaught object " + String(v);
		} catch (e) {
			message = "uncaught object";
		}
	}
	return [name, message, stack];
});
