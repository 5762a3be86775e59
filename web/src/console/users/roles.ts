/** Roles of the contract; names come from i18n `role.<code>`. */
export const roles = [
  'platform_admin', 'gov_supervisor', 'community_staff', 'property_manager', 'technician',
  'security_guard', 'doctor', 'department_officer', 'service_provider', 'resident',
];
