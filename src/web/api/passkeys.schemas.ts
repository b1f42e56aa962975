/**
 * The WebAuthn JSON shapes (as @simplewebauthn/browser and PublicKeyCredential.toJSON() produce them)
 * for the passkey endpoints. Responses list every field the options carry: what a schema leaves out
 * never reaches the browser.
 */
import { z } from 'zod';

const Base64Url = z.string().max(4096).regex(/^[A-Za-z0-9_-]*$/, 'base64url without padding');
const Transports = z.array(z.string().max(20)).max(10).describe('usb, nfc, ble, hybrid, internal, ...');
const PublicKey = z.literal('public-key');
const Attachment = z.enum(['platform', 'cross-platform']);

const ClientExtensionResults = z
  .object({ appid: z.boolean().optional(), credProps: z.object({ rk: z.boolean().optional() }).optional(), hmacCreateSecret: z.boolean().optional() })
  .describe('clientExtensionResults; fields Vigil does not use are dropped');

export const RegistrationCredential = z.object({
  id: Base64Url,
  rawId: Base64Url,
  type: PublicKey,
  authenticatorAttachment: Attachment.optional(),
  clientExtensionResults: ClientExtensionResults,
  response: z.object({
    clientDataJSON: Base64Url,
    attestationObject: Base64Url,
    authenticatorData: Base64Url.optional(),
    transports: Transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: Base64Url.optional(),
  }),
});

export const AuthenticationCredential = z.object({
  id: Base64Url,
  rawId: Base64Url,
  type: PublicKey,
  authenticatorAttachment: Attachment.optional(),
  clientExtensionResults: ClientExtensionResults,
  response: z.object({ clientDataJSON: Base64Url, authenticatorData: Base64Url, signature: Base64Url, userHandle: Base64Url.optional() }),
});

const Descriptor = z.object({ id: z.string(), type: z.string().describe('public-key'), transports: z.array(z.string()).optional() });
const Hints = z.array(z.enum(['hybrid', 'security-key', 'client-device'])).optional();
const Extensions = z.unknown().optional().describe('WebAuthn extension inputs');

export const CreationOptions = z
  .object({
    rp: z.object({ name: z.string(), id: z.string().optional() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: z.string(),
    pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: PublicKey })),
    timeout: z.number().optional(),
    excludeCredentials: z.array(Descriptor).optional(),
    authenticatorSelection: z
      .object({
        authenticatorAttachment: Attachment.optional(),
        residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
        requireResidentKey: z.boolean().optional(),
        userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
      })
      .optional(),
    hints: Hints,
    attestation: z.enum(['direct', 'enterprise', 'indirect', 'none']).optional(),
    attestationFormats: z.array(z.string()).optional(),
    extensions: Extensions,
  })
  .describe('PublicKeyCredentialCreationOptionsJSON: pass to navigator.credentials.create (or startRegistration)');

export const RequestOptions = z
  .object({
    challenge: z.string(),
    timeout: z.number().optional(),
    rpId: z.string().optional(),
    allowCredentials: z.array(Descriptor).optional(),
    userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
    hints: Hints,
    extensions: Extensions,
  })
  .describe('PublicKeyCredentialRequestOptionsJSON: pass to navigator.credentials.get (or startAuthentication)');

export const PasskeyInfo = z.object({ id: z.number().int(), name: z.string().nullable(), created_at: z.string(), last_used_at: z.string().nullable() });
