import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [tailwindcss(), sveltekit(), svelteTesting()],
  server: {
    // `npm run dev` against a running gateway (./mainloop up): the API and stream are proxied.
    proxy: { '/api': 'http://localhost:8080' }
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.js']
  }
});
