// Makes (function(){}).constructor and (async function(){}).constructor
// throw like the Function global; installed only when the function's
// source mentions "constructor" (see lockdown.go).
(function (noFunction) {
	"use strict";
	var attrs = { value: noFunction, writable: true, enumerable: false, configurable: true };
	Object.defineProperty(Object.getPrototypeOf(function () {}), "constructor", attrs);
	Object.defineProperty(Object.getPrototypeOf(async function () {}), "constructor", attrs);
});
