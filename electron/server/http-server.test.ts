import { describe, expect, it } from 'vitest';
import { pageEntryFiles } from './http-server';

describe('pageEntryFiles', () => {
  it("lists the module scripts, stylesheets and module preloads index.html loads, as URL paths", () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" type="image/png" href="./icon.png" />
      <script type="module" crossorigin src="./assets/index-BNIlWWuI.js"></script>
      <link rel="modulepreload" crossorigin href="./assets/vendor-1.js">
      <link rel="stylesheet" crossorigin href="./assets/index-CFfyeIle.css">
      <link rel="stylesheet" href="https://example.com/x.css">
    </head></html>`;
    expect(pageEntryFiles(html)).toEqual(['/assets/index-BNIlWWuI.js', '/assets/vendor-1.js', '/assets/index-CFfyeIle.css']);
  });

  it('finds nothing in a page without them', () => {
    expect(pageEntryFiles('<p>hello</p>')).toEqual([]);
  });
});
