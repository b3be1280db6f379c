import { forbidden, hasHqRole, Role, Visibility, type Viewer } from '@phub/kit';

/**
 * Who may do what with AEM sources. Content is HQ's: HQ people see the sources and their health, HQ admins and
 * editors browse AEM to pick content, only HQ admins add, change or remove sources. Store roles, partners and
 * devices have no part in it (players get AEM content only as creatives, through campaigns).
 */
export class ContentScope extends Visibility {
  constructor(viewer: Viewer | null) {
    super(viewer, { domain: 'content' });
  }

  private get isHqPerson(): boolean {
    return this.isPerson && hasHqRole(this.who);
  }

  assertCanSeeSources(): void {
    if (!this.isHqPerson) throw forbidden('AEM sources are for HQ');
  }

  assertCanSearch(): void {
    if (!this.isHqPerson) throw forbidden('Search across content is for HQ');
  }

  assertCanBrowse(): void {
    const v = this.who;
    if (!(this.isPerson && (v.roles.includes(Role.HQ_ADMIN) || v.roles.includes(Role.HQ_EDITOR)))) {
      throw forbidden('Browsing AEM is for HQ admins and editors');
    }
  }

  assertCanManage(): void {
    this.assertHqAdmin();
  }
}
