import { index, route, type RouteConfig } from '@react-router/dev/routes'

// The three kinds of listing share their route modules; the kind comes from the path.
const listingRoutes = (['achievements', 'demands', 'scenarios'] as const).flatMap((kind) => [
  route(kind, 'routes/listings/list.tsx', { id: `${kind}-list` }),
  route(`${kind}/new`, 'routes/listings/new.tsx', { id: `${kind}-new` }),
  route(`${kind}/:id`, 'routes/listings/detail.tsx', { id: `${kind}-detail` }),
  route(`${kind}/:id/edit`, 'routes/listings/edit.tsx', { id: `${kind}-edit` }),
])

export default [
  index('routes/home.tsx'),
  route('login', 'routes/login.tsx'),
  route('logout', 'routes/logout.ts'),
  route('register', 'routes/register.tsx'),
  route('account', 'routes/account.tsx'),
  route('account/api-keys', 'routes/account.api-keys.tsx'),
  route('admin/orgs', 'routes/admin.orgs.tsx'),
  ...listingRoutes,
  route('my/listings', 'routes/listings/mine.tsx'),
  route('review', 'routes/listings/review.tsx'),
  route('scenario-batches', 'routes/listings/batches.tsx'),
  route('import', 'routes/import.tsx'),
  route('export/:kind', 'routes/resources/export.ts'),
  route('search', 'routes/search.tsx'),
  route('contracts', 'routes/contracts/list.tsx'),
  route('contracts/new', 'routes/contracts/new.tsx'),
  route('contracts/:id', 'routes/contracts/detail.tsx'),
  route('contracts/:id/edit', 'routes/contracts/edit.tsx'),
  route('contracts/:id/registration-form', 'routes/contracts/registration-form.tsx'),
  route('registration', 'routes/contracts/registration-queue.tsx'),
  route('registration/:id', 'routes/contracts/register.tsx'),
  route('api/v1/openapi.json', 'routes/api/openapi.ts'),
  route('api/v1/search', 'routes/api/search.ts'),
  route('api/v1/:kind/:id/matches', 'routes/api/matches.ts'),
  route('api/v1/:kind', 'routes/api/listings.ts'),
  route('api/v1/:kind/:id', 'routes/api/listing.ts'),
  route('api/v1/*', 'routes/api/not-found.ts'),
  route('lang', 'routes/lang.ts'),
  route('healthz', 'routes/healthz.ts'),
  route('resources/regions', 'routes/resources/regions.ts'),
  route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig
