import { libraryCatalog } from './catalog';
import { LibraryScene } from './LibraryScene';

// The page's own chunk: the scene, its views and the whole query library load when the page is first opened.
export function libraryBody(): LibraryScene {
  return new LibraryScene(libraryCatalog);
}
