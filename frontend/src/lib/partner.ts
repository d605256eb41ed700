import { useQuery } from 'urql'
import { graphql } from '../gql'
import { useIsAdmin, useIsPartner } from './session'

export const PartnerViewerQuery = graphql(`
  query PartnerViewer {
    viewer {
      role
      tokenName
      manage
      portalTitle
      webhooks {
        id
        name
      }
    }
  }
`)

/** Partner is what the console knows of a signed-in partner: its title, grant and webhooks. */
export interface Partner {
  /** loaded is false until the viewer query answered. */
  loaded: boolean
  /** title heads the partner's console: the portal link's title, or "Webhooks". */
  title: string
  manage: boolean
  webhooks: { id: string; name: string }[]
}

/** usePartner tells a partner's grant and webhooks (the query is paused for other roles). */
export function usePartner(): Partner {
  const isPartner = useIsPartner()
  const [{ data }] = useQuery({ query: PartnerViewerQuery, pause: !isPartner })
  const v = data?.viewer
  return { loaded: !!v, title: v?.portalTitle?.trim() || 'Webhooks', manage: v?.manage ?? false, webhooks: v?.webhooks ?? [] }
}

/**
 * Abilities are what the signed-in token may do on a webhook's page: act
 * (retry, recover, send a test file, rotate the secret), manage (change the
 * delivery settings, validate again) and administer (everything else:
 * name, folders, filter, active, share, delete).
 */
export interface Abilities {
  act: boolean
  manage: boolean
  admin: boolean
  partner: boolean
}

/** useAbilities: admins may do everything, a partner acts on its webhooks and manages them with the grant, a viewer only looks. */
export function useAbilities(): Abilities {
  const admin = useIsAdmin()
  const partner = useIsPartner()
  const { manage } = usePartner()
  return { act: admin || partner, manage: admin || (partner && manage), admin, partner }
}
