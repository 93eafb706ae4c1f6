import { defineMessages } from '../i18n/define.ts';

export const auth = defineMessages({
  sv: {
    'auth.login_title': 'Logga in',
    'auth.login_intro': 'Logga in med din e-postadress och ditt lösenord.',
    'auth.login_button': 'Logga in',
    'auth.forgot_link': 'Har du glömt lösenordet?',
    'auth.forgot_title': 'Glömt lösenord',
    'auth.forgot_intro': 'Skriv din e-postadress. Vi skickar en länk där du kan välja ett nytt lösenord.',
    'auth.forgot_button': 'Skicka länk',
    'auth.forgot_sent': 'Om det finns ett konto med den adressen har vi skickat en länk. Den fungerar i en timme.',
    'auth.reset_title': 'Välj nytt lösenord',
    'auth.reset_intro': 'Välj ett nytt lösenord. Sedan loggar du in med det.',
    'auth.reset_button': 'Spara lösenord',
    'auth.new_password': 'Nytt lösenord',
    'auth.password_hint': 'Minst 10 tecken. Ett långt lösenord är bättre än ett krångligt.',
    'auth.notice_password_changed': 'Ditt lösenord är bytt. Logga in med det nya.',
    'auth.notice_signed_out': 'Du är utloggad.',
    'auth.reset_mail_subject': 'Välj nytt lösenord i Teknikprao',
    'auth.reset_mail_body':
      'Hej {name}!\n\nNågon (förhoppningsvis du) bad om ett nytt lösenord till Teknikprao.\nÖppna länken för att välja ett nytt lösenord. Den fungerar i {minutes} minuter och bara en gång:\n\n{link}\n\nOm det inte var du kan du strunta i det här mejlet.',
  },
  en: {
    'auth.login_title': 'Sign in',
    'auth.login_intro': 'Sign in with your e-mail address and password.',
    'auth.login_button': 'Sign in',
    'auth.forgot_link': 'Forgot your password?',
    'auth.forgot_title': 'Forgotten password',
    'auth.forgot_intro': 'Write your e-mail address. We will send a link where you can choose a new password.',
    'auth.forgot_button': 'Send link',
    'auth.forgot_sent': 'If there is an account with that address, we have sent a link. It works for one hour.',
    'auth.reset_title': 'Choose a new password',
    'auth.reset_intro': 'Choose a new password. Then sign in with it.',
    'auth.reset_button': 'Save password',
    'auth.new_password': 'New password',
    'auth.password_hint': 'At least 10 characters. A long password is better than a complicated one.',
    'auth.notice_password_changed': 'Your password has been changed. Sign in with the new one.',
    'auth.notice_signed_out': 'You are signed out.',
    'auth.reset_mail_subject': 'Choose a new password for Teknikprao',
    'auth.reset_mail_body':
      'Hello {name}!\n\nSomeone (hopefully you) asked for a new password for Teknikprao.\nOpen the link to choose a new password. It works for {minutes} minutes and only once:\n\n{link}\n\nIf it was not you, you can ignore this e-mail.',
  },
});
