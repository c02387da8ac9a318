/** CSS side-effect imports (Vite bundles them; web/vite.config.ts inlines the result into main.js). */
declare module '*.css';
