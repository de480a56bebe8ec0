import { defineConfig } from "vitest/config";

// Tauri loads the built files from ui/dist; the dev server is only for `tauri dev`.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    // Inline assets would need 'unsafe-inline' or data: in the CSP.
    assetsInlineLimit: 0,
  },
  test: {
    include: ["src/**/*.test.ts"],
    // The contrast test reads the stylesheet itself (style.css?raw).
    css: { include: [/style\.css/] },
  },
});
