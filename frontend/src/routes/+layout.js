// A single-page app: rendered in the browser, the shell prerendered as index.html.
export const prerender = true;
export const ssr = false;
