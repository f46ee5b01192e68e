// InternalError, listed by cloudfront-js-2.0 but absent from goja.
(function () {
	"use strict";
	function InternalError(message) {
		var e = new Error(message);
		Object.setPrototypeOf(e, new.target ? new.target.prototype : InternalError.prototype);
		return e;
	}
	var hidden = { writable: true, enumerable: false, configurable: true };
	InternalError.prototype = Object.create(Error.prototype, {
		constructor: Object.assign({ value: InternalError }, hidden),
		name: Object.assign({ value: "InternalError" }, hidden),
		message: Object.assign({ value: "" }, hidden),
	});
	Object.setPrototypeOf(InternalError, Error);
	return InternalError;
});
