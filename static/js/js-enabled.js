// GOV.UK Frontend's body classes, set before the page is drawn (so the script tag is the first
// thing in <body> and neither deferred nor a module): "js-enabled", and
// "govuk-frontend-supported" where the browser runs ES modules.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
