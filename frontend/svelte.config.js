import adapter from '@sveltejs/adapter-static';

/** Static build (build/), served by gateway-service (Quinoa's SPA routing answers unknown paths with index.html). */
export default {
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', strict: true }),
    serviceWorker: { register: true }
  }
};
