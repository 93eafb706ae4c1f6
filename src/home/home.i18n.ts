import { defineMessages } from '../i18n/define.ts';

export const home = defineMessages({
  sv: {
    'home.welcome_title': 'Teknikprao – möt människorna bakom jobben',
    'home.welcome_lead': 'Här bokar skolor prao hos företag inom teknik och industri. Eleverna möter riktiga yrkespersoner och får höra hur de gick från skolan till jobbet.',
    'home.for_schools_title': 'För skolor',
    'home.for_schools_text': 'Studie- och yrkesvägledare bokar in sina elever, en och en eller hela klasser.',
    'home.for_companies_title': 'För företag',
    'home.for_companies_text': 'Företag visar sina praoplatser och berättar om personerna eleverna får träffa.',
    'home.for_pupils_title': 'För elever',
    'home.for_pupils_text': 'Du får en egen länk från din skola. Där ser du din prao och kan läsa om personerna du ska träffa.',
    'home.nav_networks': 'Nätverk',
    'home.nav_network': 'Mitt nätverk',
    'home.nav_company': 'Mitt företag',
    'home.nav_school': 'Min skola',
    'home.nav_invitations': 'Bjud in',
  },
  en: {
    'home.welcome_title': 'Teknikprao – meet the people behind the jobs',
    'home.welcome_lead': 'Here schools book job shadowing at companies in tech and industry. Pupils meet real professionals and hear how they went from school to work.',
    'home.for_schools_title': 'For schools',
    'home.for_schools_text': 'School counsellors book their pupils, one by one or whole classes.',
    'home.for_companies_title': 'For companies',
    'home.for_companies_text': 'Companies show their job-shadowing places and tell about the people pupils will meet.',
    'home.for_pupils_title': 'For pupils',
    'home.for_pupils_text': 'You get your own link from your school. There you see your job shadowing and can read about the people you will meet.',
    'home.nav_networks': 'Networks',
    'home.nav_network': 'My network',
    'home.nav_company': 'My company',
    'home.nav_school': 'My school',
    'home.nav_invitations': 'Invite',
  },
});
