import type cytoscape from 'cytoscape';
import { menuItems, type MenuItem } from './contextMenu';

/**
 * Right-click on a node, an edge or a line of the Elements list: the same operations as the
 * tree (contextMenu.ts). The webview only asks (`choose`); the extension acts.
 */
export class GraphMenu {
  constructor(
    private readonly cy: cytoscape.Core,
    private readonly menu: HTMLElement,
    private readonly choose: (item: MenuItem) => void,
  ) {
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
  }

  open(id: string, x: number, y: number): void {
    const element = this.cy.getElementById(id);
    const items = element.nonempty() ? menuItems(element) : [];
    if (items.length === 0) return this.close();
    this.menu.replaceChildren(...items.map((item) => this.button(item)));
    this.menu.style.left = `${x}px`;
    this.menu.style.top = `${y}px`;
    this.menu.hidden = false;
    (this.menu.firstElementChild as HTMLElement | null)?.focus();
  }

  close(): void {
    this.menu.hidden = true;
  }

  private button(item: MenuItem): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'menuitem');
    // Docker names (the network of "Disconnect from …") only ever as text.
    button.textContent = item.label;
    button.addEventListener('click', () => {
      this.close();
      this.choose(item);
    });
    return button;
  }
}
