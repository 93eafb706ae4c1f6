import type { SessionUser } from '../http/context.ts';
import type { Translate } from '../i18n/index.ts';

export interface NavItem {
  href: string;
  label: string;
}

/** The menu fits the role: each role sees only where it can go. */
export function navigationFor(user: SessionUser | null, t: Translate): NavItem[] {
  if (!user) return [{ href: '/library', label: t('home.nav_library') }, { href: '/catalogue', label: t('home.nav_catalogue') }];
  const items: NavItem[] = [{ href: '/', label: t('nav.home') }];
  switch (user.role) {
    case 'platform_admin':
      items.push({ href: '/admin/networks', label: t('home.nav_networks') }, { href: '/admin/outbox', label: t('nav.outbox') });
      break;
    case 'network_coordinator':
      items.push(
        { href: '/network', label: t('home.nav_network') },
        { href: '/network/rounds', label: t('home.nav_rounds') },
        { href: '/network/late-cancellations', label: t('home.nav_late_cancellations') },
      );
      break;
    case 'company_coordinator':
      items.push(
        { href: '/company', label: t('home.nav_company') },
        { href: '/company/stories', label: t('home.nav_stories') },
        { href: '/company/slots', label: t('home.nav_slots') },
        { href: '/company/participants', label: t('home.nav_participants') },
      );
      break;
    case 'counsellor':
      items.push(
        { href: '/school', label: t('home.nav_school') },
        { href: '/school/pupils', label: t('home.nav_pupils') },
        { href: '/school/bookings', label: t('home.nav_bookings') },
        { href: '/school/rounds', label: t('home.nav_rounds') },
        { href: '/catalogue', label: t('home.nav_catalogue') },
      );
      break;
  }
  items.push(
    { href: '/library', label: t('home.nav_library') },
    { href: '/invitations', label: t('home.nav_invitations') },
    { href: '/account', label: t('nav.account') },
  );
  return items;
}
