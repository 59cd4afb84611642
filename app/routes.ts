import { index, route, type RouteConfig } from '@react-router/dev/routes'

export default [
  index('routes/home.tsx'),
  route('login', 'routes/login.tsx'),
  route('logout', 'routes/logout.ts'),
  route('register', 'routes/register.tsx'),
  route('account', 'routes/account.tsx'),
  route('admin/orgs', 'routes/admin.orgs.tsx'),
  route('lang', 'routes/lang.ts'),
  route('healthz', 'routes/healthz.ts'),
  route('resources/regions', 'routes/resources/regions.ts'),
  route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig
